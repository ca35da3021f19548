// Filled in by the keras table work; registers its modules on import.
export {};
