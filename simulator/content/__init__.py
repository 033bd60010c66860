"""Built-in content (problems, rubric, prompts, corpus) and the one Content object that carries it."""
