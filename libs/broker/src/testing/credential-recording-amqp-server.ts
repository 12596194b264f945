import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';

/** What a client sent in one AMQP 0-9-1 handshake. */
export interface RecordedHandshake {
  username: string;
  password: string;
  /** From connection.open; undefined when the client never got that far. */
  vhost?: string;
}

const FRAME_END = 0xce;
const CONNECTION_CLASS = 10;
const START_OK = 11;
const TUNE_OK = 31;
const OPEN = 40;

/**
 * A plain TCP server on loopback that speaks just enough AMQP 0-9-1 (connection.start, tune)
 * to record the PLAIN credentials and the vhost a client presents, then drops the connection.
 * It stands for "any host a client may name": tests assert what it received.
 */
export class CredentialRecordingAmqpServer {
  readonly handshakes: RecordedHandshake[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<CredentialRecordingAmqpServer> {
    const server = createServer();
    const recorder = new CredentialRecordingAmqpServer(server);
    server.on('connection', (socket) => recorder.serve(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` handshakes have ended (credentials seen, socket closed). */
  async waitForHandshakes(count: number): Promise<void> {
    while (this.handshakes.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    let buffer = Buffer.alloc(0);
    let headerSeen = false;
    let handshake: RecordedHandshake | undefined;
    const finish = (): void => {
      if (handshake) {
        this.handshakes.push(handshake);
        handshake = undefined;
        for (const wake of this.waiters.splice(0)) wake();
      }
      socket.destroy();
    };
    socket.on('close', () => {
      this.sockets.delete(socket);
      finish();
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!headerSeen) {
        if (buffer.length < 8) return;
        buffer = buffer.subarray(8); // "AMQP" 0 0 9 1
        headerSeen = true;
        socket.write(frame(START_PAYLOAD));
      }
      while (buffer.length >= 7) {
        const size = buffer.readUInt32BE(3);
        if (buffer.length < 7 + size + 1) return;
        const payload = buffer.subarray(7, 7 + size);
        buffer = buffer.subarray(8 + size);
        if (payload.readUInt16BE(0) !== CONNECTION_CLASS) continue;
        const methodId = payload.readUInt16BE(2);
        if (methodId === START_OK) {
          handshake = readStartOk(payload.subarray(4));
          socket.write(frame(TUNE_PAYLOAD));
        } else if (methodId === OPEN && handshake) {
          handshake.vhost = shortString(payload, 4).value;
          finish();
        } else if (methodId !== TUNE_OK) {
          finish();
        }
      }
    });
  }
}

function readStartOk(args: Buffer): RecordedHandshake {
  const tableSize = args.readUInt32BE(0);
  const mechanism = shortString(args, 4 + tableSize);
  const responseSize = args.readUInt32BE(mechanism.next);
  const response = args.subarray(mechanism.next + 4, mechanism.next + 4 + responseSize);
  // PLAIN: authzid NUL username NUL password
  const [, username = '', password = ''] = response.toString('utf8').split('\0');
  return { username, password };
}

function shortString(buffer: Buffer, offset: number): { value: string; next: number } {
  const length = buffer.readUInt8(offset);
  return {
    value: buffer.subarray(offset + 1, offset + 1 + length).toString('utf8'),
    next: offset + 1 + length,
  };
}

function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(7);
  header.writeUInt8(1, 0); // method frame
  header.writeUInt16BE(0, 1); // channel 0
  header.writeUInt32BE(payload.length, 3);
  return Buffer.concat([header, payload, Buffer.from([FRAME_END])]);
}

function longString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([size, bytes]);
}

// connection.start: version 0-9, empty server properties, PLAIN, en_US.
const START_PAYLOAD = Buffer.concat([
  Buffer.from([0, CONNECTION_CLASS, 0, 10, 0, 9]),
  Buffer.from([0, 0, 0, 0]),
  longString('PLAIN'),
  longString('en_US'),
]);

// connection.tune: channel-max 0, frame-max 131072, heartbeat 0.
const TUNE_PAYLOAD = Buffer.concat([
  Buffer.from([0, CONNECTION_CLASS, 0, 30, 0, 0]),
  Buffer.from([0, 2, 0, 0]),
  Buffer.from([0, 0]),
]);
