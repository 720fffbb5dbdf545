import { greeting } from "greeting";

console.log(`${greeting()} uid=${process.getuid!()} cwd=${process.cwd()}`);
