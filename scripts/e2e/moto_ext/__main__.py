"""python -m moto_ext -p PORT: the extended moto server on 127.0.0.1 (never another address)."""

from .server import main

main()
