export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const DEMO_KEY = 'sk_test_electroshop_demo_key';
/** Signs the access tokens the Omocom dialect issues in tests. */
export const TEST_TOKEN_KEY = new Uint8Array(32).fill(9);
