"""Infrastructure: shipped resources, kernels, processes, locks, atomic writes, fingerprints, limits.

Nothing here knows the method; every layer may use it.
"""
