// The everyday alternative that the Neuvo server is measured against (scripts/bench.sh load):
// a minimal relay on Node's ws package. Two connections that open /relay/<pair> with the same
// pair name are joined, and every text frame from one is sent to the other unchanged. No JSON,
// no routing, no storage: the least a Node chat relay does.
//
//   node relay.mjs [port]      prints "listening on PORT"
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const waiting = new Map(); // pair name -> the first connection, until its partner comes

const server = new WebSocketServer({
  host: '127.0.0.1',
  port,
  backlog: 4096,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has('neuvo.v1') ? 'neuvo.v1' : false),
});

server.on('connection', (socket, request) => {
  const pair = request.url.split('/')[2] ?? '';
  const first = waiting.get(pair);
  if (first) {
    waiting.delete(pair);
    socket.partner = first;
    first.partner = socket;
  } else {
    waiting.set(pair, socket);
  }
  socket.on('message', (data, isBinary) => {
    if (socket.partner) socket.partner.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    if (waiting.get(pair) === socket) waiting.delete(pair);
    if (socket.partner) socket.partner.partner = null;
  });
  socket.on('error', () => {});
});

server.on('listening', () => {
  console.log(`listening on ${server.address().port}`);
});
