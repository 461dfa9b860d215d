// The AWS partition of a region, the second field of every ARN dpra builds (alarm ARNs, the ECR
// pull policy's account principals). Regions outside the commercial partition name it in their prefix.

/** AWS partition of a region: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
