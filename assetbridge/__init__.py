"""The assetbridge command line: the one module that sees every package."""
