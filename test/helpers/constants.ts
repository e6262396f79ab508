export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const DEMO_KEY = 'sk_test_electroshop_demo_key';
