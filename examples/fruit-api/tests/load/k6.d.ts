// Types for the k6 script as the unit test imports it (k6 itself needs none).
export declare const options: unknown;
export default function iteration(): void;
