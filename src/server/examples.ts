/** The example queries GraphiQL opens with (also the README's examples). */
export const exampleTabs = [
  {
    query: `# Who headed which office, from when to when?
query WhoHeadedWhichOffice {
  persons {
    nodes {
      name
      tenures {
        nodes {
          post { name office { name } state { name } }
          when { edtf wording startStatus endStatus }
          timing
        }
      }
    }
  }
}
`,
  },
];
