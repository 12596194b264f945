/**
 * The ceiling for the edge rule benchmark: a bare amqplib relay with the rule's settings
 * (prefetch 256, persistent publishes on a confirm channel, each input acked only after its
 * output is confirmed) and no rule logic. Each input is acked on its own confirm callback:
 * nothing is coalesced or batched.
 */
import * as amqp from 'amqplib';

export interface RelayHandle {
  stop(): Promise<void>;
}

export async function startBareRelay(
  url: string,
  inputQueue: string,
  outputExchange: string,
  outputRoutingKey: string,
  prefetch = 256,
): Promise<RelayHandle> {
  const connection = await amqp.connect(url);
  const consumeChannel = await connection.createChannel();
  const publishChannel = await connection.createConfirmChannel();
  await consumeChannel.prefetch(prefetch);
  const { consumerTag } = await consumeChannel.consume(inputQueue, (message) => {
    if (!message) return;
    publishChannel.publish(
      outputExchange,
      outputRoutingKey,
      message.content,
      { persistent: true },
      (err) => {
        if (!err) consumeChannel.ack(message);
      },
    );
  });
  return {
    async stop() {
      await consumeChannel.cancel(consumerTag);
      await connection.close();
    },
  };
}
