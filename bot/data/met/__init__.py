"""The Met's "Other Crime Data" import, by step: its names, reading and scanning the file,
planning the month-by-month merge, applying it, and the operator's summary.
bot.data.mps_import runs the steps in order."""
