"""sdsim.evals package."""
