"""The database layer: the connection proxy, the models and the migrations."""
