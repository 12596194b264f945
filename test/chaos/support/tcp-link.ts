/**
 * A TCP forwarder between one agent and the core broker, so the suite can cut that agent (and
 * only it) from the core while its edge broker, the adapter and the other agents keep theirs.
 * cut() closes every forwarded connection and refuses new ones until restore().
 */
import { createServer, type Server, type Socket, connect } from 'node:net';

export class TcpLink {
  private readonly sockets = new Set<Socket>();
  private isCut = false;

  private readonly server: Server;
  private listeningPort = 0;

  private constructor(host: string, port: number) {
    this.server = createServer((client) => this.accept(client, host, port));
  }

  static async open(targetHost: string, targetPort: number): Promise<TcpLink> {
    const link = new TcpLink(targetHost, targetPort);
    await new Promise<void>((resolve, reject) => {
      link.server.once('error', reject);
      link.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = link.server.address();
    link.listeningPort = typeof address === 'object' && address ? address.port : 0;
    return link;
  }

  get port(): number {
    return this.listeningPort;
  }

  private accept(client: Socket, host: string, port: number): void {
    if (this.isCut) {
      client.destroy();
      return;
    }
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Rewrites an amqp URL so it goes through this link. */
  url(amqpUrl: string): string {
    const url = new URL(amqpUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.isCut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
