"""Sample data: the demo record (``manage.py load_demo``) and synthetic claims for benchmarks
(``manage.py generate_synthetic``). Tooling on top of the domain: it imports ``claims`` and
``people``; nothing in the domain or the delivery apps imports it."""
