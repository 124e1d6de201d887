"""validate's rules over a loaded dataset, one module per family; each rule yields Problems."""
