import { DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ProcessKind } from './model.ts';

/**
 * The port to whatever runs the state machines: AWS Step Functions in Lambda, aws-local-stepfunctions
 * on the embedded platform (infra/local/stepfunctions.ts). Both start an execution by a
 * deterministic name, so a repeated start is harmless.
 */
export interface ClockInput {
  processId: string;
  clockVersion: number;
  kind: ProcessKind;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'NOT_FOUND';

export interface WorkflowEngine {
  /** 'started', or 'exists' when an execution of that name already ran or runs (idempotent start) */
  start(kind: ProcessKind, name: string, input: ClockInput): Promise<'started' | 'exists'>;
  stop(kind: ProcessKind, name: string, cause: string): Promise<void>;
  describe(kind: ProcessKind, name: string): Promise<ExecutionStatus>;
}

/** Step Functions: machine ARNs come from PROCESS_MACHINES (set by CDK, infra/aws). */
export const stepFunctionsEngine = (machines: Record<string, string>, client = new SFNClient({})): WorkflowEngine => {
  const machine = (kind: ProcessKind) => {
    const arn = machines[kind];
    if (!arn) throw new Error(`no state machine for ${kind}`);
    return arn;
  };
  // arn:<partition>:states:<region>:<account>:stateMachine:<name> → …:execution:<name>:<execution>
  const executionArn = (kind: ProcessKind, name: string) => `${machine(kind).replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    start: async (kind, name, input) => {
      try {
        await client.send(new StartExecutionCommand({ stateMachineArn: machine(kind), name, input: JSON.stringify(input) }));
        return 'started';
      } catch (e) {
        // the same name with the same input returns the running execution; a finished one is refused
        if (e instanceof ExecutionAlreadyExists) return 'exists';
        throw e;
      }
    },
    stop: async (kind, name, cause) => {
      try {
        await client.send(new StopExecutionCommand({ executionArn: executionArn(kind, name), cause }));
      } catch (e) {
        if (!(e instanceof ExecutionDoesNotExist)) throw e;
      }
    },
    describe: async (kind, name) => {
      try {
        const r = await client.send(new DescribeExecutionCommand({ executionArn: executionArn(kind, name) }));
        return (r.status as ExecutionStatus | undefined) ?? 'NOT_FOUND';
      } catch (e) {
        if (e instanceof ExecutionDoesNotExist) return 'NOT_FOUND';
        throw e;
      }
    },
  };
};

let installed: WorkflowEngine | undefined;

/** The embedded platform installs its local engine; in Lambda the Step Functions one is built once. */
export const installWorkflowEngine = (e: WorkflowEngine | undefined) => {
  installed = e;
};

export const workflowEngine = (): WorkflowEngine => {
  if (!installed) {
    const raw = process.env.PROCESS_MACHINES;
    if (!raw) throw new Error('missing environment variable PROCESS_MACHINES');
    installed = stepFunctionsEngine(JSON.parse(raw) as Record<string, string>);
  }
  return installed;
};
