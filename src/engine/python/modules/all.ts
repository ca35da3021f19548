// Registers every module table with the interpreter (import for side effects).
import './torch';
import './math';
import './functools';
