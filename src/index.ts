export * from './core/index.ts';
export * from './otp/index.ts';
