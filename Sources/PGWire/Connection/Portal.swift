import Columnar
import Engine

/// A statement ready to run (Bind → Execute, or one statement of a simple
/// query): its parameter values, the result formats the client asked for and,
/// once started, its open cursor and the rows of the current batch not sent yet.
final class Portal {
    let prepared: PreparedStatement
    let parameters: [ParameterValue]
    let resultFormats: [Int16]
    var encoder: ResultEncoder
    var cursor: QueryCursor?
    var pending: RecordBatch?
    var pendingOffset = 0
    var isFinished = false
    /// A SQL cursor (DECLARE) that outlives the Sync that ends an implicit transaction.
    var holdsPastTransaction = false

    init(prepared: PreparedStatement, parameters: [ParameterValue], resultFormats: [Int16]) {
        self.prepared = prepared
        self.parameters = parameters
        self.resultFormats = resultFormats
        self.encoder = ResultEncoder(fields: prepared.fields, requested: resultFormats)
    }
}
