// Filled in by the numpy table work; registers its modules on import.
export {};
