"""sdsim.llm package."""
