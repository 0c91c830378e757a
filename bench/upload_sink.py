"""The baseline of upload_throughput_ratio: a minimal Starlette app on uvicorn (the stack fx-bureau runs on) that
takes a plain HTTP PUT, streams the body to a file and fsyncs it once, nothing else: no chunks, no hashing, no
database. Run as its own process: `python -m bench.upload_sink --port N --dir DIR`."""
from __future__ import annotations

import argparse
import os
import uuid
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


def make_app(root: Path) -> Starlette:
    root.mkdir(parents=True, exist_ok=True)

    async def ready(_request: Request):
        return PlainTextResponse("ok")

    async def put(request: Request):
        target = root / f"{uuid.uuid4().hex}.bin"
        received = 0
        with open(target, "wb") as fh:
            async for block in request.stream():
                fh.write(block)
                received += len(block)
            fh.flush()
            os.fsync(fh.fileno())
        return JSONResponse({"received": received})

    return Starlette(routes=[Route("/", ready, methods=["GET"]), Route("/{name}", put, methods=["PUT"])])


def main() -> None:
    import uvicorn

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    args = p.parse_args()
    uvicorn.run(make_app(Path(args.dir)), host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
