"""Contributed files: read, shape, check, preview, commit (see pipeline.py)."""
