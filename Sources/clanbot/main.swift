import ClanbotCLI
import Foundation

CommandLineTool.prepareProcess()
let status = await CommandLineTool.main(arguments: Array(CommandLine.arguments.dropFirst()))
// Every transfer thread stopped and joined before exit's handlers run: a clean exit stays status 0.
CommandLineTool.stopBackgroundThreads()
exit(status)
