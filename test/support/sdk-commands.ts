/**
 * Static scan of the AWS SDK commands a code base constructs: every `new X(...)` whose class the
 * TypeScript type checker resolves to a `...Command` declared in an `@aws-sdk/client-*` package
 * (also through lazy `import()`s, destructuring and `sdk.XCommand`), mapped to the IAM action
 * `<service prefix>:<Operation>`. The service prefix comes from the package that declares the class.
 * Command classes the code declares itself (subclasses of an SDK command) need an explicit entry in
 * `localCommands`; an unknown one is reported, never guessed.
 */
import path from "node:path";
import ts from "typescript";

/** IAM service prefix per SDK package (the package folder under node_modules/@aws-sdk). */
export const SERVICE_PREFIX: Record<string, string> = {
  "client-cloudformation": "cloudformation",
  "client-cloudwatch": "cloudwatch",
  "client-synthetics": "synthetics",
  "client-fis": "fis",
  "client-ecs": "ecs",
  "client-ecr": "ecr",
  "client-sts": "sts",
  "client-secrets-manager": "secretsmanager",
};

export interface SentCommand {
  /** Repository-relative path of the file that constructs the command. */
  file: string;
  line: number;
  /** The class constructed, e.g. `CreateChangeSetCommand`. */
  command: string;
  /** `cloudformation:CreateChangeSet`. */
  action: string;
}

export interface ScanResult {
  commands: SentCommand[];
  /** `new ...Command(...)` that could not be mapped to an SDK package and operation. */
  unresolved: string[];
}

const SDK_PACKAGE = /[\\/]node_modules[\\/]@aws-sdk[\\/]([^\\/]+)[\\/]/;

/**
 * Scans the `.ts` files of one TypeScript project (its tsconfig) whose paths start with one of `under`.
 * @param localCommands command classes declared in the scanned code -> IAM action (`synthetics:UpdateCanary`).
 */
export function scanSdkCommands(repoRoot: string, tsconfig: string, under: string[], localCommands: Record<string, string> = {}): ScanResult {
  const configPath = path.join(repoRoot, tsconfig);
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(`${tsconfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
  const roots = parsed.fileNames.filter((f) => under.some((u) => path.relative(repoRoot, f).startsWith(u)));
  const program = ts.createProgram(roots, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const commands: SentCommand[] = [];
  const unresolved: string[] = [];

  for (const file of roots) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const rel = path.relative(repoRoot, file);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node)) {
        const where = `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const text = node.expression.getText(source);
        const symbol = checker.getTypeAtLocation(node.expression).getSymbol();
        const name = symbol?.getName() ?? text.split(".").pop()!;
        if (name.endsWith("Command")) {
          const action = actionOf(symbol, checker, localCommands);
          if (action) commands.push({ file: rel, line: Number(where.split(":").pop()), command: name, action });
          else unresolved.push(`${where}: new ${text}(...)`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { commands, unresolved };
}

function actionOf(symbol: ts.Symbol | undefined, checker: ts.TypeChecker, localCommands: Record<string, string>): string | undefined {
  if (!symbol) return undefined;
  const declaredIn = symbol.getDeclarations()?.[0]?.getSourceFile().fileName ?? "";
  const pkg = SDK_PACKAGE.exec(declaredIn)?.[1];
  if (pkg) {
    const prefix = SERVICE_PREFIX[pkg];
    return prefix ? `${prefix}:${symbol.getName().replace(/Command$/, "")}` : undefined;
  }
  // A class of the scanned code: only when it extends an SDK command and is listed explicitly.
  const local = localCommands[symbol.getName()];
  if (!local) return undefined;
  const bases = checker.getBaseTypes(checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType);
  const fromSdk = bases.some((b) => SDK_PACKAGE.test(b.getSymbol()?.getDeclarations()?.[0]?.getSourceFile().fileName ?? ""));
  return fromSdk ? local : undefined;
}

/** `{ action -> files }` of a scan, for assertions that name where an action is sent. */
export function actionsByFile(commands: SentCommand[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of commands) {
    const files = out.get(c.action) ?? new Set<string>();
    files.add(c.file);
    out.set(c.action, files);
  }
  return out;
}
