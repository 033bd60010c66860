"""The LLM layer: everything that talks to a chat model, kept apart from the interview engine.

- `client`: `build_chat_model` (LangChain `ChatOpenAI`) and `LLMClient` (complete, stream,
  structured; retries, deadline, errors mapped to `errors.LLMFailed`).
- `budget`: token counts, context limits, `fit_messages` (running summary), prices.
- `cache`: record/replay of calls as JSON files under `<data_dir>/llm-cache`.
- `doctor`: `check_backend`, one tiny call explained in one line.

Nothing is imported here, so `import simulator.llm` stays cheap for the offline engine.
"""
