import ClanbotCLI
import Foundation

CommandLineTool.prepareProcess()
let status = await CommandLineTool.main(arguments: Array(CommandLine.arguments.dropFirst()))
// Every thread clanbot started is stopped and joined before exit's handlers run: a clean exit stays status 0.
if !CommandLineTool.stopBackgroundThreads() {
    // One is stuck inside a library call: skip the libraries' exit handlers it could trip over.
    FileHandle.standardError.write(Data("clanbot: a background thread did not stop within 10 s; exiting without library cleanup\n".utf8))
    fflush(nil)
    _exit(status)
}
exit(status)
