// Runs the load scenarios of scripts/bench.sh load and writes bench/results/load.json and
// bench/results/load.md.
//
//   node bench/loadgen/run-load.mjs --build BUILD_DIR [--quick] [--only NAME,...] [--server BINARY]
//                                   [--server-threads 1] [--generator-threads 1]
//
// Every scenario gets a fresh server (Neuvo, the Beast echo baseline or the Node ws relay) in a
// temporary directory, so that its CPU time and peak RSS are the scenario's own. Neuvo's
// advisors are created with the server's own `admin add` into a fresh database once and copied.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const quick = args.includes('--quick');
const build = path.resolve(option('--build', path.join(root, 'build-release')));
const only = option('--only', '')
  .split(',')
  .filter((x) => x);
const outDir = path.resolve(option('--out', path.join(root, 'bench/results')));
// One server thread and one generator thread: on a 2-core machine each has a core, and "the
// server is saturated" means one core busy. Neuvo's hub is one strand in any case.
const serverThreads = Number(option('--server-threads', 1));
// --server-prefix: a command the Neuvo server runs under, e.g. for a profile:
//   --server-prefix 'valgrind --tool=callgrind --callgrind-out-file=/tmp/neuvo.callgrind'
const serverPrefix = option('--server-prefix', '')
  .split(' ')
  .filter((x) => x);
const generatorThreads = Number(option('--generator-threads', 1));

// --server: another neuvo-server binary (e.g. one built from another commit, to compare).
const server = path.resolve(option('--server', path.join(build, 'server/app/neuvo-server')));
const loadgen = path.join(build, 'bench/loadgen/loadgen');
const echoServer = path.join(build, 'bench/loadgen/echo_server');
const relay = path.join(root, 'bench/node-relay/relay.mjs');
const password = 'load-password-2026';

// ---- The scenarios ----
// quick: about a second each with small numbers, to prove they work (CI).
const N = quick
  ? { idle: 300, conversations: 100, maxConversations: 50, churnClients: 40, mixedClients: 60 }
  : {
      idle: 19000, // the machine's hard limit is 20,000 descriptors per process
      conversations: 10000,
      maxConversations: 1000,
      churnClients: 400,
      mixedClients: 600,
    };
// --seconds: another length of each run (e.g. a longer --quick under a profiler).
const seconds = Number(option('--seconds', quick ? 1 : 20));
const mixedSeconds = quick ? 2 : 120;
const advisors = Number(option('--advisors', quick ? 10 : 100));
const capacity = quick ? 20 : 100;
const rate = quick ? 200 : 2000;

const scenarios = [
  // 1. connections: idle clients, RSS per connection
  { name: 'connections-plain', server: 'neuvo', scenario: 'connections', clients: N.idle },
  { name: 'connections-tls', server: 'neuvo', scenario: 'connections', clients: N.idle, tls: true },
  { name: 'connections-echo', server: 'echo', scenario: 'connections', clients: N.idle },
  { name: 'connections-node', server: 'node', scenario: 'connections', clients: N.idle },
  // 2. relay at a given rate: K conversations, both sides writing
  { name: 'relay-rate-plain', server: 'neuvo', scenario: 'relay', clients: N.conversations, rate },
  {
    name: 'relay-rate-tls',
    server: 'neuvo',
    scenario: 'relay',
    clients: N.conversations,
    rate,
    tls: true,
  },
  // The baselines need two descriptors per conversation: 9,000 pairs fit under 20,000.
  {
    name: 'relay-rate-echo',
    server: 'echo',
    scenario: 'relay',
    clients: Math.min(N.conversations, 9000),
    rate,
  },
  {
    name: 'relay-rate-node',
    server: 'node',
    scenario: 'relay',
    clients: Math.min(N.conversations, 9000),
    rate,
  },
  // ... and at the maximum rate: ping-pong, one message in flight per conversation
  { name: 'relay-max-plain', server: 'neuvo', scenario: 'relay', clients: N.maxConversations },
  {
    name: 'relay-max-tls',
    server: 'neuvo',
    scenario: 'relay',
    clients: N.maxConversations,
    tls: true,
  },
  { name: 'relay-max-echo', server: 'echo', scenario: 'relay', clients: N.maxConversations },
  {
    name: 'relay-max-echo-tls',
    server: 'echo',
    scenario: 'relay',
    clients: N.maxConversations,
    tls: true,
  },
  { name: 'relay-max-node', server: 'node', scenario: 'relay', clients: N.maxConversations },
  // 3. churn: open, route, one message, end, wrap-up saved (the register row), again
  {
    name: 'churn-plain',
    server: 'neuvo',
    scenario: 'churn',
    clients: N.churnClients,
    capacity: 10,
  },
  // 4. mixed day: more clients than seats (queues), think times, consults, transfers, wrap-ups
  {
    name: 'mixed-day',
    server: 'neuvo',
    scenario: 'mixed',
    clients: N.mixedClients,
    capacity: 4,
    duration: mixedSeconds,
    extra: ['--think-ms', quick ? '20' : '400', '--messages-per-conversation', '6'],
  },
].filter((s) => only.length === 0 || only.includes(s.name));

// ---- Processes ----

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

// Starts a server process and waits for `ready` in its standard output.
function startProcess(command, commandArgs, ready, logFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = fs.createWriteStream(logFile);
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start`)), 120000);
    child.stdout.on('data', (data) => {
      seen += data;
      log.write(data);
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (data) => log.write(data));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) at start; see ${logFile}`));
    });
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.removeAllListeners('exit');
    child.on('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function run(command, commandArgs, input) {
  return execFileSync(command, commandArgs, { input, encoding: 'utf8' });
}

// ---- Neuvo's configuration and accounts ----

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'neuvo-load-'));
run('bash', [path.join(root, 'scripts/dev-cert.sh'), work]);
const certificate = path.join(work, 'dev-cert.pem');
const privateKey = path.join(work, 'dev-key.pem');
const template = path.join(work, 'template.db');

function neuvoConfig(database, tlsPort, plainPort, maxCapacity, metricsPort = 0) {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'config/demo.json'), 'utf8'));
  config.listen = { address: '127.0.0.1', port: tlsPort };
  config.plain_http = { address: '127.0.0.1', port: plainPort };
  config.tls = { certificate, private_key: privateKey };
  config.database = database;
  config.document_root = path.join(root, 'client-web');
  config.threads = serverThreads;
  // Its own listener, scraped once the generator is done (writesPerMessage).
  config.metrics = { enabled: metricsPort > 0, listen: { address: '127.0.0.1', port: metricsPort } };
  config.limits.max_connections = 1000000;
  // Tens of thousands of connections from a few loopback addresses, up to 256 handshakes in
  // flight per generator thread: the per-address limits would refuse most of them.
  config.limits.max_connections_per_address = 1000000;
  config.limits.max_handshakes_per_address = 1000000;
  config.limits.max_capacity = Math.max(maxCapacity, config.limits.default_capacity);
  // Thousands of connections on two cores may answer a ping late; this run is not about that.
  config.limits.ping_interval_seconds = 300;
  config.limits.ping_timeout_seconds = 300;
  // The generator plays thousands of people from one address at machine speed: the abuse
  // limits, which are per sender and per address, would measure themselves instead of the relay
  // (an advisor with ten conversations at the maximum rate sends hundreds a second), so they are
  // set as high as the configuration allows. A run that still met one is not trusted (judge).
  config.limits.messages_per_minute = 600000;
  config.limits.message_burst = 100000;
  config.limits.sign_in_failures_per_address = 10000;
  // The generator's handshakes name the server's own origin, on the ports of this run.
  if ('allowed_origins' in config && tlsPort && plainPort)
    config.allowed_origins = [`https://127.0.0.1:${tlsPort}`, `http://127.0.0.1:${plainPort}`];
  return config;
}

function createAdvisors() {
  const file = path.join(work, 'accounts.json');
  fs.writeFileSync(file, JSON.stringify(neuvoConfig(template, 0, 0, 100)));
  const started = Date.now();
  for (let i = 0; i < advisors; i++)
    run(
      server,
      [
        '--config',
        file,
        'admin',
        'add',
        '--login',
        `load${i}`,
        '--name',
        `Load ${i}`,
        '--point',
        '091-virka',
        '--languages',
        'fi,en',
        '--password-stdin',
      ],
      `${password}\n`,
    );
  console.error(`${advisors} advisors created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function startServer(spec, dir) {
  const tlsPort = await freePort();
  const plainPort = await freePort();
  if (spec.server === 'neuvo') {
    const database = path.join(dir, 'neuvo.db');
    fs.copyFileSync(template, database);
    const file = path.join(dir, 'config.json');
    const metricsPort = await freePort();
    fs.writeFileSync(
      file,
      JSON.stringify(neuvoConfig(database, tlsPort, plainPort, 100, metricsPort)),
    );
    const command = [...serverPrefix, server, '--config', file];
    const child = await startProcess(
      command[0],
      command.slice(1),
      /listening on https/,
      path.join(dir, 'server.log'),
    );
    return { child, port: spec.tls ? tlsPort : plainPort, metricsPort };
  }
  if (spec.server === 'echo') {
    const child = await startProcess(
      echoServer,
      [
        '--port',
        String(plainPort),
        '--tls-port',
        String(tlsPort),
        '--threads',
        String(serverThreads),
        '--certificate',
        certificate,
        '--private-key',
        privateKey,
      ],
      /tls on/,
      path.join(dir, 'server.log'),
    );
    return { child, port: spec.tls ? tlsPort : plainPort };
  }
  const child = await startProcess(
    process.execPath,
    [relay, String(plainPort)],
    /listening on/,
    path.join(dir, 'server.log'),
  );
  return { child, port: plainPort };
}

function runGenerator(spec, port, pid) {
  const generatorArgs = [
    '--target',
    spec.server,
    '--port',
    String(port),
    '--scenario',
    spec.scenario,
    '--clients',
    String(spec.clients),
    '--advisors',
    String(advisors),
    '--capacity',
    String(spec.capacity ?? capacity),
    '--password',
    password,
    '--rate',
    String(spec.rate ?? 0),
    '--duration',
    String(spec.duration ?? seconds),
    '--threads',
    String(generatorThreads),
    '--server-pid',
    String(pid),
    ...(spec.tls ? ['--tls'] : []),
    ...(spec.extra ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(loadgen, generatorArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`loadgen exited with ${code}`));
      try {
        resolve(JSON.parse(output.trim().split('\n').pop()));
      } catch (error) {
        reject(new Error(`loadgen printed no result: ${output}`));
      }
    });
  });
}

// WebSocket messages the server sent per system write, over the server's whole run (from its
// /metrics): above 1 when a connection's messages left together.
async function messagesPerWrite(metricsPort) {
  try {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const value = (name) => Number((text.match(new RegExp(`^${name} (\\S+)$`, 'm')) ?? [])[1]);
    const ratio =
      value('neuvo_websocket_messages_sent_total') / value('neuvo_websocket_socket_writes_total');
    return Number.isFinite(ratio) ? Math.round(ratio * 100) / 100 : undefined;
  } catch {
    return undefined;
  }
}

// Trustworthy: a throughput figure needs the server saturated (near a full core per thread)
// and the generator not; a figure at a fixed rate needs the rate reached and the generator not
// saturated; an idle-connection figure needs every connection made.
function judge(spec, result) {
  const serverBusy = result.server_cpu_percent >= 85 * serverThreads;
  const generatorFree = result.generator_cpu_percent < 85 * generatorThreads;
  if (!result.ready) return { trusted: false, why: 'not everyone connected' };
  // A refused message stops its conversation (one in flight) or skews the rate: the figure would
  // measure the refusal, not the relay.
  const errors = Object.entries(result.errors ?? {});
  if (errors.length > 0)
    return {
      trusted: false,
      why: 'errors: ' + errors.map(([what, count]) => `${count} × ${what}`).join(', '),
    };
  // Runnable but waiting for a CPU for more than a fifth of the time: other jobs had the cores.
  if (spec.scenario !== 'connections' && result.server_cpu_wait_percent > 20 * serverThreads)
    return {
      trusted: false,
      why: `machine busy: server waited ${result.server_cpu_wait_percent}% for a CPU`,
    };
  if (spec.scenario === 'connections') return { trusted: true, why: 'all connected' };
  if (spec.rate) {
    const reached = result.messages_per_second >= 0.95 * spec.rate;
    if (!reached) return { trusted: false, why: 'rate not reached' };
    return generatorFree
      ? { trusted: true, why: 'rate reached, generator not saturated' }
      : { trusted: false, why: 'generator saturated' };
  }
  if (!generatorFree) return { trusted: false, why: 'generator saturated' };
  if (!serverBusy) return { trusted: false, why: 'server not saturated' };
  return { trusted: true, why: 'server saturated, generator not' };
}

// ---- The run ----

const results = [];
if (scenarios.some((s) => s.server === 'neuvo')) createAdvisors();
for (const spec of scenarios) {
  const dir = fs.mkdtempSync(path.join(work, `${spec.name}-`));
  const started = Date.now();
  const { child, port, metricsPort } = await startServer(spec, dir);
  try {
    const result = await runGenerator(spec, port, child.pid);
    if (metricsPort) result.messages_per_socket_write = await messagesPerWrite(metricsPort);
    const verdict = judge(spec, result);
    results.push({ name: spec.name, server: spec.server, ...result, ...verdict });
    console.error(
      `${spec.name}: ${result.messages_per_second ?? 0} msg/s, p99 ${result.latency?.p99_us} µs, ` +
        `server ${result.server_cpu_percent}% / generator ${result.generator_cpu_percent}% CPU, ` +
        (result.messages_per_socket_write
          ? `${result.messages_per_socket_write} messages per write, `
          : '') +
        `${verdict.trusted ? 'trusted' : 'NOT trusted'} (${verdict.why}), ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } catch (error) {
    results.push({ name: spec.name, server: spec.server, failed: String(error) });
    console.error(`${spec.name}: FAILED ${error}`);
  } finally {
    await stopProcess(child);
  }
}

// ---- Reports ----

const cpuInfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
const machine = {
  cores: os.cpus().length,
  cpu: (cpuInfo.match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown',
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  load_average_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
  kernel: os.release(),
};
const report = {
  date: new Date().toISOString(),
  quick,
  server_threads: serverThreads,
  generator_threads: generatorThreads,
  machine,
  results,
};
fs.mkdirSync(outDir, { recursive: true });
const suffix = quick ? '-quick' : '';
fs.writeFileSync(path.join(outDir, `load${suffix}.json`), JSON.stringify(report, null, 2) + '\n');

const byName = Object.fromEntries(results.map((r) => [r.name, r]));
const fmt = (x, digits = 0) =>
  x === undefined || x === null || Number.isNaN(x)
    ? '–'
    : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits });
const ms = (us) => (us === undefined ? '–' : fmt(us / 1000, 2));
// Messages per second of the server's CPU: comparable between servers even on a busy machine.
const perCpu = (r) =>
  r && r.server_cpu_percent > 0 ? (r.messages_per_second * 100) / r.server_cpu_percent : NaN;
const ratio = (a, b) => (a > 0 && b > 0 ? `${fmt(a / b, 2)}×` : '–');

const lines = [];
lines.push(`Measured ${report.date.slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}`);
lines.push(
  `on ${machine.cores} cores (${machine.cpu}), ${machine.memory_gib} GiB; server ${serverThreads} ` +
    `thread, generator ${generatorThreads} thread; load average at the end ` +
    `${machine.load_average_at_end.join(' ')}.`,
);
lines.push('');
lines.push(
  '| scenario | server | conns / convs | msg/s | msg per server CPU-s | p50 ms | p99 ms | p99.9 ms | server CPU | server waited for a CPU | generator CPU | server peak RSS | trusted |',
);
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  if (r.failed) {
    lines.push(`| ${r.name} | ${r.server} | | | | | | | | | | | failed |`);
    continue;
  }
  const what =
    r.scenario === 'connections'
      ? `${fmt(r.connected)} idle`
      : `${fmt(r.clients)}${r.rate_target ? ` @ ${fmt(r.rate_target)}/s` : ''}`;
  const throughput =
    r.scenario === 'churn' || r.scenario === 'mixed'
      ? `${fmt(r.conversations_per_second, 1)} conv/s`
      : r.scenario === 'connections'
        ? `${fmt(r.server_rss_bytes_per_connection / 1024, 1)} KiB/conn`
        : fmt(r.messages_per_second);
  const latency =
    r.scenario === 'connections' ? undefined : r.scenario === 'churn' ? r.cycle_latency : r.latency;
  lines.push(
    `| ${r.name} | ${r.server}${r.tls ? ' TLS' : ''} | ${what} | ${throughput} | ` +
      `${r.scenario === 'relay' ? fmt(perCpu(r)) : '–'} | ${ms(latency?.p50_us)} | ` +
      `${ms(latency?.p99_us)} | ${ms(latency?.p999_us)} | ${fmt(r.server_cpu_percent)} % | ` +
      `${fmt(r.server_cpu_wait_percent)} % | ` +
      `${fmt(r.generator_cpu_percent)} % | ${fmt(r.server_hwm_kib / 1024, 1)} MiB | ` +
      `${r.trusted ? 'yes' : `no: ${r.why}`} |`,
  );
}
lines.push('');
lines.push(
  'CPU is the share of one core over the measured window; "waited for a CPU" is the time the ' +
    "server's threads were runnable but not running (/proc/<pid>/task/*/schedstat): other jobs had the cores.",
);
lines.push(
  'Churn latency is one whole cycle at the client (request to conversation ended); the others are ' +
    'one chat message from send to receipt at the other side.',
);
const maxPlain = byName['relay-max-plain'];
const maxEcho = byName['relay-max-echo'];
const maxNode = byName['relay-max-node'];
if (maxPlain && maxEcho && maxNode && !maxPlain.failed && !maxEcho.failed && !maxNode.failed) {
  lines.push('');
  lines.push('| ratio (relay at maximum rate, plain) | by msg/s | by msg per server CPU-s | target |');
  lines.push('|---|---|---|---|');
  lines.push(
    `| Neuvo / Beast echo | ${ratio(maxPlain.messages_per_second, maxEcho.messages_per_second)} | ` +
      `${ratio(perCpu(maxPlain), perCpu(maxEcho))} | ≥ 1.0× |`,
  );
  lines.push(
    `| Neuvo / Node ws relay | ${ratio(maxPlain.messages_per_second, maxNode.messages_per_second)} | ` +
      `${ratio(perCpu(maxPlain), perCpu(maxNode))} | ≥ 1.5× |`,
  );
}
fs.writeFileSync(path.join(outDir, `load${suffix}.md`), lines.join('\n') + '\n');
console.log(lines.join('\n'));
console.error(`results written to ${path.join(outDir, `load${suffix}.json`)} and load${suffix}.md`);
if (!process.env.NEUVO_KEEP_LOAD_FILES) fs.rmSync(work, { recursive: true, force: true });
process.exit(results.some((r) => r.failed) ? 1 : 0);
