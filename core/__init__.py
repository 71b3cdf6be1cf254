"""The bottom layer: plain types, reference data and text helpers that every other package may import.

Nothing here imports another package of the app except `config`.
"""
