// The Python extension (ms-python.python), when installed: its selected interpreter for a file.
import * as vscode from 'vscode';
import { interpreterFromPythonApi } from './pythonExtensionApi';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

export async function pythonExtensionInterpreter(resource: vscode.Uri): Promise<string[] | undefined> {
  const extension = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
  if (!extension) {
    return undefined;
  }
  let api: unknown;
  try {
    api = extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
  return interpreterFromPythonApi(api, resource);
}
