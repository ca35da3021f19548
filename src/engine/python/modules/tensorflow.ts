// Filled in by the tensorflow table work; registers its modules on import.
export {};
