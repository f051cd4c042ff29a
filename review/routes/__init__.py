"""The console routes: thin, each declaring who may use it."""
