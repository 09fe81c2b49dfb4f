"""Full screens and modal screens of the app: one folder per section, and common/ for the frame,
help, keys and history every section shares."""
