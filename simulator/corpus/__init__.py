"""sdsim.corpus package."""
