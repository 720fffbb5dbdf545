export const greeting = (): string => "hello from bun";
