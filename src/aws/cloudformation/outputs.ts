import type { Stack } from "@aws-sdk/client-cloudformation";

/** A stack output as typed data. */
export interface StackOutputView {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export function stackOutputs(stack: Stack | undefined): StackOutputView[] {
  return (stack?.Outputs ?? []).map((o) => ({
    key: o.OutputKey ?? "",
    value: o.OutputValue ?? "",
    description: o.Description,
    exportName: o.ExportName,
  }));
}
