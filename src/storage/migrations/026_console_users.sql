-- People who sign in to the console (issue #16): the insurer's operators (partner_id NULL: they see every
-- partner) and partners' staff (partner_id set: they see that partner only). Passwords are argon2id hashes.
CREATE TABLE console_users (
  partner_id    text        REFERENCES partners (partner_id),
  id            text        PRIMARY KEY,
  email         text        NOT NULL,
  name          text        NOT NULL,
  password_hash text        NOT NULL,
  created_at    timestamptz NOT NULL
);
-- One account per address, whoever it belongs to: sign-in is by address alone.
CREATE UNIQUE INDEX console_users_email ON console_users (lower(email));

-- Signed-in sessions, in the database so that every process behind a load balancer knows them. The
-- cookie carries a random token; only its hash is stored.
CREATE TABLE console_sessions (
  partner_id  text        REFERENCES partners (partner_id),
  token_hash  text        PRIMARY KEY,
  user_id     text        NOT NULL REFERENCES console_users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);
