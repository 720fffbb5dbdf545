export const greeting = (): string => "hello from deno";
