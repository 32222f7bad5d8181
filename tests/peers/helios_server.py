#!/usr/bin/python3
# A minimal HeliOS device written with python3-websockets (it shares no code
# with gst-plugins-sensor): one path per channel under /v1/ws and an AsyncAPI
# document at /v1/asyncapi.json, like the real device. Prints
# {"port": N} on stdout once it listens on 127.0.0.1.
#
#   /v1/ws/logs?lines=N&follow=false  ready, N lines "line i", eof, close
#   /v1/ws/streams/<uuid>/frames      GREY 4x2 format + 2 frames, then
#                                     GREY 2x2 format + 1 frame, then idles
import asyncio
import json
import sys
import urllib.parse
import http

import websockets

ASYNCAPI = {
    "asyncapi": "2.6.0",
    "info": {"title": "Helios WebSocket API", "version": "peer"},
    "servers": {"default": {"url": "localhost:5800/v1/ws", "protocol": "ws"}},
    "channels": {
        "logs.stream": {"description": "Device logs"},
        "streams.{stream_id}.frames": {"description": "Stream frames"},
    },
}


async def process_request(path, headers):
    url = urllib.parse.urlsplit(path)
    if url.path in ("/v1/asyncapi.json", "/asyncapi.json"):
        body = json.dumps(ASYNCAPI).encode()
        return http.HTTPStatus.OK, [("Content-Type", "application/json")], body
    if url.path == "/v1/ws/logs" or (url.path.startswith("/v1/ws/streams/")
                                     and url.path.endswith("/frames")):
        return None
    return http.HTTPStatus.NOT_FOUND, [], b""


async def logs(ws, query):
    lines = int(query.get("lines", ["200"])[0])
    follow = query.get("follow", ["true"])[0] != "false"
    await ws.send(json.dumps({"type": "ready", "source": {"kind": "journal"}},
                             separators=(",", ":")))
    for i in range(lines):
        await ws.send('{"type":"line","timestamp_ms":%d,"line":"line %d"}'
                      % (1700000000000 + i, i))
    if follow:
        await asyncio.sleep(3600)
    await ws.send('{"type":"eof"}')
    await ws.close()


async def frames(ws, query):
    await ws.send('{"type":"format","fourcc":"GREY","width":4,"height":2}')
    await ws.send(bytes(range(0, 8)))
    await ws.send(bytes(range(8, 16)))
    await ws.send('{"type":"format","fourcc":"GREY","width":2,"height":2}')
    await ws.send(bytes([200, 201, 202, 203]))
    await asyncio.sleep(3600)


async def handler(ws, path):
    url = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qs(url.query)
    if url.path == "/v1/ws/logs":
        await logs(ws, query)
    else:
        await frames(ws, query)


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0,
                                process_request=process_request) as server:
        port = server.sockets[0].getsockname()[1]
        print(json.dumps({"port": port}), flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
