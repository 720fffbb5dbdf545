import isNumber from "is-number";
import { greeting } from "greeting";

console.log(`${greeting()} is-number=${isNumber(5)} uid=${Deno.uid()} cwd=${Deno.cwd()}`);
