import Columnar

/// sales.products: 500 products over five categories, subcategories taken in
/// turn, prices in the subcategory's range ending in .99, costs 45-70% of the
/// price. Each product gets a popularity weight from a shuffled rank, so a
/// few best sellers (not simply the first ids) dominate the orders.
struct DemoProducts {
    struct Product {
        var id: Int64
        var name: String
        var category: String
        var subcategory: String
        var brand: String
        /// Cents.
        var listPrice: Int64
        var unitCost: Int64
    }

    private(set) var products: [Product] = []
    /// How often orders pick each product (by index).
    let popularity: WeightedChoice

    init(seed: UInt64) {
        var random = DemoRandom(seed: seed, stream: 2)
        for category in DemoVocabulary.categories {
            for i in 0..<category.productCount {
                let sub = category.subcategories[i % category.subcategories.count]
                let id = Int64(products.count + 1)
                let brand = random.pick(category.brands)
                // The trailing number makes every name unique.
                let name = "\(brand) \(sub.noun) \(random.pick(DemoVocabulary.series)) \(100 + id)"
                let price = Int64(random.inRange(sub.priceRange)) * 100 + 99
                let cost = (price * Int64(random.inRange(45...70)) + 50) / 100
                products.append(Product(id: id, name: name, category: category.name, subcategory: sub.name, brand: brand,
                                        listPrice: price, unitCost: cost))
            }
        }
        let ranks = random.shuffled(Array(products.indices))
        popularity = WeightedChoice(ranks.map { 1_000_000 / ($0 + 8) })
    }

    static let fields = [
        Field("product_id", .int64, nullable: false),
        Field("name", .string, nullable: false),
        Field("category", .string, nullable: false),
        Field("subcategory", .string, nullable: false),
        Field("brand", .string, nullable: false),
        Field("list_price", .decimal(precision: 10, scale: 2), nullable: false),
        Field("unit_cost", .decimal(precision: 10, scale: 2), nullable: false),
    ]

    func batch() -> RecordBatch {
        var name = StringColumnBuilder(), category = StringColumnBuilder(), subcategory = StringColumnBuilder(),
            brand = StringColumnBuilder()
        for p in products {
            name.append(p.name)
            category.append(p.category)
            subcategory.append(p.subcategory)
            brand.append(p.brand)
        }
        return RecordBatch(fields: Self.fields, columns: [
            DemoColumns.int64(products.map(\.id)), name.column(), category.column(), subcategory.column(), brand.column(),
            DemoColumns.decimal(precision: 10, scale: 2, products.map(\.listPrice)),
            DemoColumns.decimal(precision: 10, scale: 2, products.map(\.unitCost)),
        ], rowCount: products.count)
    }
}
