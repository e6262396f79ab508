-- A quoted policy's expiry is the core's: `quoteExpiry` of the policy's creation, checked by
-- acceptPolicy. Omocom insurance records kept a copy of it, written as that same instant (the record
-- is created with the policy); the copy is dropped so the records keep only what the dialect shows.
UPDATE dialect_records SET data = data - 'quoteExpiresAt' WHERE kind = 'omocom_insurance';
