"""The Ollama generator: the model proposes workouts, the engine disposes.

An adapter around the pure core (DESIGN.md): ``ollama`` and ``httpx`` are imported inside
the functions that talk to a server, prompts live in ``prompts/*.txt``, and every
document a model writes goes through the AWP validator, the engine's fences and, when it
never passes, the built-in library's choice for the day.

    config      which server, which model, how long to wait
    client      the LLMClient seam and its Ollama implementation (timeouts on every call)
    schema      the JSON Schema given as ``format``: AWP 1.0, narrowed for generation
    prompting   prompt files filled with a block's and a day's constraints
    fences      the engine's checks of a proposed workout and of a week
    proposal    one workout: strategy → codify → validate → correct (≤ 3 rounds)
    rebalance   support and recovery rides re-fitted so a week lands on its target
    generator   block by block over a season: which days the model writes, fallbacks
"""
