// Filled in by the theano table work; registers its modules on import.
export {};
