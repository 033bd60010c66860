"""sdsim.questions package."""
