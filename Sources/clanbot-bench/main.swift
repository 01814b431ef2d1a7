// Placeholder: benchmarks land with the features they measure.
print("clanbot-bench: no benchmarks yet")
