/**
 * aws-sdk-client-mock with loose types. The AWS clients in this repo come from different SDK
 * releases (the registry offers different newest versions per client), so their @smithy/types
 * differ from the one aws-sdk-client-mock was typed against. Behaviour is the library's own.
 */
import { mockClient } from "aws-sdk-client-mock";

export interface LooseCommandStub {
  resolves(output: unknown): LooseCommandStub;
  resolvesOnce(output: unknown): LooseCommandStub;
  rejects(error?: unknown): LooseCommandStub;
  rejectsOnce(error?: unknown): LooseCommandStub;
  callsFake(fn: (input: any) => unknown): LooseCommandStub; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface LooseCall {
  args: [{ input: any; constructor: { name: string } }]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface LooseStub {
  on(command: unknown, input?: unknown): LooseCommandStub;
  commandCalls(command: unknown): LooseCall[];
  calls(): LooseCall[];
  reset(): LooseStub;
  restore(): void;
}

export function mockAws(clientClass: unknown): LooseStub {
  return mockClient(clientClass as never) as unknown as LooseStub;
}
