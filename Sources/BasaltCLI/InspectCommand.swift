import ArgumentParser
import Columnar
import Parquet

/// `basalt parquet inspect FILE`: the footer in human-readable form.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a Parquet file's schema, row groups and column chunks (encodings, codecs, sizes, statistics)."
    )

    @Argument(help: "The Parquet file.") var file: String

    func run() throws {
        let parquet = try openOrExit(file)
        print(ParquetInspection.render(parquet))
    }
}

/// Opens a file, turning a failure into a one-line message and exit status 1.
func openOrExit(_ path: String) throws -> ParquetFile {
    do {
        return try ParquetFile(path: path)
    } catch {
        printError("basalt: \(path): \(error)")
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileOutput.standardError.write(string)
    }
}
