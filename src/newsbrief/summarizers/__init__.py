"""Highlights models: one per module under one `Summarizer` base class (`base`), their sentence
features (`features`), selection rules (`select`) and the learned compressor (`compress`).

A module here that defines a class with `@newsbrief.registry.register(...)` adds a model kind; load
models with `newsbrief.registry.load_model`.
"""
