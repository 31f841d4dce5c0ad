/** Injection token: the PostgreSQL URL the app runs on (external or embedded). */
export const DATABASE_URL = Symbol('DATABASE_URL');
