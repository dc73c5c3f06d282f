// Kernel micro-benchmarks: to be written.
print("kernel-bench: not written yet")
