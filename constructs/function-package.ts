import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";

/** Where the functions' source lives: `functions/<name>/` at the repository root. */
export const FUNCTIONS_DIR = resolve(__dirname, "..", "functions");

export interface FunctionPackageProps {
  /** The folder under `functions/`, e.g. `db-rotation`. */
  readonly source: string;
  /** The files of the package, relative to the folder; nothing else is packaged. */
  readonly files: readonly string[];
}

/**
 * A Lambda deployment package built at synth, the same bytes on every machine: a zip of the named
 * files, sorted, stored uncompressed (no zlib version in the output), every timestamp 1980-01-01,
 * mode 0644. Nothing is downloaded at synth or deploy; the functions use the standard library
 * and the runtime's boto3 only. The zip becomes a cdktf asset (`assets/<id>/<sha256>/<name>.zip`
 * beside the stack's cdk.tf.json) and `sourceCodeHash` tells Lambda when the code changed.
 */
export class FunctionPackage extends Construct {
  /** The asset path to give `aws_lambda_function.filename`. */
  readonly path: string;
  /** base64 SHA-256 of the zip (`source_code_hash`). */
  readonly sourceCodeHash: string;
  /** The zip itself, for tests. */
  readonly bytes: Buffer;

  constructor(scope: Construct, id: string, props: FunctionPackageProps) {
    super(scope, id);
    if (props.files.length === 0) throw new Error(`function package ${props.source}: no files`);
    const dir = join(FUNCTIONS_DIR, props.source);
    const entries = [...props.files].sort().map((name) => {
      if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(name) || name.includes("..")) {
        throw new Error(`function package ${props.source}: "${name}" is not a plain relative file name`);
      }
      const file = join(dir, name);
      if (!existsSync(file)) throw new Error(`function package ${props.source}: ${file} does not exist`);
      return { name, data: readFileSync(file) };
    });
    this.bytes = deterministicZip(entries);
    const sha = createHash("sha256").update(this.bytes).digest();
    this.sourceCodeHash = sha.toString("base64");

    // Content-addressed, written atomically: parallel synths (jest workers) agree on the bytes.
    const hex = sha.toString("hex");
    const out = join(tmpdir(), "markmail-functions", hex);
    const zip = join(out, `${props.source}.zip`);
    if (!existsSync(zip)) {
      mkdirSync(out, { recursive: true });
      const part = `${zip}.${process.pid}.part`;
      writeFileSync(part, this.bytes);
      renameSync(part, zip);
    }
    const asset = new TerraformAsset(this, "asset", { path: zip, type: AssetType.FILE, assetHash: hex.slice(0, 32) });
    this.path = asset.path;
  }
}

/** A zip (PKZIP 2.0, method 0 "stored") whose bytes depend only on the names and contents. */
export function deterministicZip(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const DOS_TIME = 0; // 00:00:00
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, fileName, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (keeps the mode below)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
